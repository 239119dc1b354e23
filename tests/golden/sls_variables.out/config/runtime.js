module.exports.runtime = () => "python3.8";
